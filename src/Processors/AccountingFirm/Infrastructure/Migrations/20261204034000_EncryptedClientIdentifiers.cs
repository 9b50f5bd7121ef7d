using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Processors.AccountingFirm.Infrastructure.Migrations
{
    /// <summary>
    /// The disclosed identifiers encrypted at rest, first half: the encrypted columns come beside the clear ones, so that
    /// EncryptClearClientIdentifiers can fill them at start with the firm's key; DropClearClientIdentifiers then drops what it emptied.
    /// </summary>
    public partial class EncryptedClientIdentifiers : Migration
    {
        private static readonly string[] Columns = ["email_encrypted", "phone_encrypted", "customer_number_encrypted", "business_id_encrypted"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var column in Columns)
            {
                migrationBuilder.AddColumn<byte[]>(name: column, table: "client_records", type: "bytea", nullable: true);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var column in Columns)
            {
                migrationBuilder.DropColumn(name: column, table: "client_records");
            }
        }
    }
}
